package io.docshift.proxy.api;

import io.docshift.write.FilePartDigester;
import io.docshift.write.RelayedUpload;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One {@code /v1_1/...} request body on its way to disk ({@link ApiHandler}): its spool file, the
 * slot it holds, its route, and for an upload the framing pass that digests its file part and the
 * relay that may take its body to Cloudinary as it arrives. Touched only on its channel's loop.
 */
final class Spooling {
  final HttpRequest request;
  final Slot slot;
  final Path file;
  final FileChannel channel;
  final ApiRoutes.Route route;
  // An upload's file part is digested as it arrives, so S3's put need not wait for a re-read.
  final FilePartDigester digester;
  // An upload whose Cloudinary call started while its body arrives, once its fields allowed.
  RelayedUpload relay;
  boolean relayTried;
  long bytes;

  Spooling(HttpRequest request, Slot slot, Path file, ApiRoutes.Route route) throws IOException {
    this.request = request;
    this.slot = slot;
    this.file = file;
    this.channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    this.route = route;
    this.digester =
        route != null && route.action() == ApiRoutes.Action.UPLOAD
            ? FilePartDigester.of(request.headers().get(HttpHeaderNames.CONTENT_TYPE))
            : null;
  }
}
