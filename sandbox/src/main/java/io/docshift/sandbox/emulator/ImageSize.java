package io.docshift.sandbox.emulator;

import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/** Width and height read from an image header with ImageIO, without decoding pixels. */
final class ImageSize {
  private ImageSize() {}

  /** {@code {width, height}}, or {@code null} when ImageIO cannot read the header cheaply. */
  static int[] read(Path file) {
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      if (in == null) {
        return null;
      }
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        return null;
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        return new int[] {reader.getWidth(0), reader.getHeight(0)};
      } finally {
        reader.dispose();
      }
    } catch (Exception e) {
      // A corrupt or exotic header only costs the optional width/height fields.
      return null;
    }
  }
}
