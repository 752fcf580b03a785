package io.docshift.proxy.delivery;

import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/** Cancels a body nobody will read (the client left), so the backend connection is released. */
final class Cancelling<T> implements Subscriber<T> {
  @Override
  public void onSubscribe(Subscription s) {
    s.cancel();
  }

  @Override
  public void onNext(T item) {}

  @Override
  public void onError(Throwable t) {}

  @Override
  public void onComplete() {}
}
