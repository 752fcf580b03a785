package io.docshift.proxy.pipeline;

/**
 * A header line continued on the next line (obsolete line folding), which RFC 9112 §5.2 lets us
 * reject.
 */
final class FoldedHeaderException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  FoldedHeaderException() {
    super("obsolete line folding in the header section");
  }
}
