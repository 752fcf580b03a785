package io.docshift.proxy;

/** A response that carries its {@link Verdict}; every response the proxy writes is one. */
interface Classified {
  Verdict verdict();
}
