package io.docshift.stores.s3;

import java.nio.ByteBuffer;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * Forwards a body publisher unchanged except that an error is classified (mapped to a {@code
 * StoreException}) before the subscriber sees it. Demand and cancellation pass straight through.
 */
final class ErrorMappingPublisher implements Publisher<ByteBuffer> {
  private final Publisher<ByteBuffer> upstream;
  private final Function<Throwable, ? extends Throwable> mapper;

  ErrorMappingPublisher(
      Publisher<ByteBuffer> upstream, Function<Throwable, ? extends Throwable> mapper) {
    this.upstream = upstream;
    this.mapper = mapper;
  }

  @Override
  public void subscribe(Subscriber<? super ByteBuffer> subscriber) {
    upstream.subscribe(
        new Subscriber<ByteBuffer>() {
          @Override
          public void onSubscribe(Subscription s) {
            subscriber.onSubscribe(s);
          }

          @Override
          public void onNext(ByteBuffer item) {
            subscriber.onNext(item);
          }

          @Override
          public void onError(Throwable t) {
            subscriber.onError(mapper.apply(t));
          }

          @Override
          public void onComplete() {
            subscriber.onComplete();
          }
        });
  }
}
