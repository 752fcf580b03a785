package io.docshift.sandbox.emulator;

/**
 * How an upload's public id is decided: {@code public_id} (under {@code folder}), else the file
 * name when {@code use_filename} (plus a random suffix unless {@code unique_filename=false}), else
 * a random id. Raw ids carry the file extension, as on Cloudinary.
 */
final class PublicIdPolicy {
  private PublicIdPolicy() {}

  static String decide(ApiRequest request, String resourceType, String filename, String format) {
    String id = request.param("public_id");
    if (id == null) {
      id = generated(request, filename);
      String extension = filename == null ? format : PublicIds.extension(filename);
      if (resourceType.equals("raw") && extension != null) {
        id = id + "." + extension;
      }
    }
    String folder = request.param("folder");
    if (folder != null && !trimSlashes(folder).isEmpty()) {
      id = trimSlashes(folder) + "/" + id;
    }
    if (!PublicIds.isValid(id)) {
      throw ApiException.badRequest("Invalid public_id " + id);
    }
    return id;
  }

  private static String generated(ApiRequest request, String filename) {
    if (!request.flag("use_filename", false) || filename == null || filename.isBlank()) {
      return PublicIds.random();
    }
    String base = PublicIds.sanitize(PublicIds.baseName(filename));
    return request.flag("unique_filename", true) ? base + "_" + PublicIds.randomSuffix(6) : base;
  }

  private static String trimSlashes(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && s.charAt(start) == '/') {
      start++;
    }
    while (end > start && s.charAt(end - 1) == '/') {
      end--;
    }
    return s.substring(start, end);
  }
}
