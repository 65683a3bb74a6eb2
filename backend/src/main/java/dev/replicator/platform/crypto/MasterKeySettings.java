package dev.replicator.platform.crypto;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Where the master keys come from ({@code replicator.*}).
 *
 * @param masterKey the current key, base64 of 32 bytes ({@code REPLICATOR_MASTER_KEY})
 * @param masterKeyPrevious the key being rotated away from, still read but no longer used to seal
 *     ({@code REPLICATOR_MASTER_KEY_PREVIOUS})
 * @param embeddedDatabase set by the start-up when it runs the embedded PostgreSQL: only then may a
 *     missing key be generated into {@link #dataDir()}
 * @param dataDir where the embedded database and a generated key live ({@code REPLICATOR_DATA_DIR})
 */
@ConfigurationProperties("replicator")
public record MasterKeySettings(
    @Nullable String masterKey,
    @Nullable String masterKeyPrevious,
    @Bindable(defaultValue = "false") boolean embeddedDatabase,
    @Bindable(defaultValue = "./data") String dataDir) {}
