package dev.replicator.notification;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;

/**
 * A webhook as the API receives it; {@code enabled} defaults to true, {@code ruleIds} to every
 * rule.
 */
@Serdeable
public record WebhookInput(
    @NotBlank @Size(max = 2048) String url,
    @Nullable @Size(max = 1000) String description,
    @NotNull @Size(min = 1, max = 3) List<@NotBlank String> events,
    @Nullable @Size(min = 1, max = 100) List<@NotNull UUID> ruleIds,
    @Nullable Boolean enabled) {}
