package io.docshift.proxy.pipeline;

/** A response that carries its {@link Verdict}; every response the proxy writes is one. */
public interface Classified {
  Verdict verdict();
}
