package dev.replicator.platform.problem;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.server.netty.NettyHttpRequest;
import io.netty.handler.codec.DecoderResult;
import java.util.Optional;

/**
 * Why the server could not read a request's head (request line and header fields), when it could
 * not. Micronaut answers such requests itself, and every too-long request line or header block with
 * 413 as if the body were too large; only Netty's exception says which limit was hit. Micronaut
 * shows that exception only on its Netty request class, so this is read there; RequestLimitsIT
 * fails if an upgrade changes that.
 */
final class RequestHead {

  private RequestHead() {}

  static Optional<Throwable> failure(HttpRequest<?> request) {
    if (request instanceof NettyHttpRequest<?> netty) {
      DecoderResult result = netty.getNativeRequest().decoderResult();
      if (result.isFailure()) {
        return Optional.of(result.cause());
      }
    }
    return Optional.empty();
  }
}
