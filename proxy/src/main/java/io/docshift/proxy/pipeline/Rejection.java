package io.docshift.proxy.pipeline;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A request refused by the codec group before routing (bad syntax, too long, folded headers). It
 * travels down the pipeline in the request's place so that it is answered in order after earlier
 * pipelined requests; the connection is closed after its response, because the decoder cannot
 * resynchronise on a broken stream.
 *
 * @param status 400, 414 or 431
 * @param reason short text for the {@code X-Cld-Error} header
 */
public record Rejection(HttpResponseStatus status, String reason) {}
