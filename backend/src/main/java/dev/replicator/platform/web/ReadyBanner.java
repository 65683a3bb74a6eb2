package dev.replicator.platform.web;

import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Tells the person who started the server where to open the dashboard. */
@Singleton
public class ReadyBanner implements ApplicationEventListener<ServerStartupEvent> {

  private static final Logger LOG = LoggerFactory.getLogger(ReadyBanner.class);

  @Nullable private final String publicUrl;

  public ReadyBanner(PublicUrlSettings settings) {
    this.publicUrl = settings.publicUrl();
  }

  @Override
  public void onApplicationEvent(ServerStartupEvent event) {
    String url =
        publicUrl != null && !publicUrl.isBlank()
            ? publicUrl
            : "http://localhost:" + event.getSource().getPort();
    String base = url.endsWith("/") ? url : url + "/";
    LOG.info(
        "Replicator is ready. Dashboard: {}  API: {}api/v1  Contract: {}openapi.yaml",
        base,
        base,
        base);
  }
}
