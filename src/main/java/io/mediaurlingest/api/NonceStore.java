package io.mediaurlingest.api;

import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;

import io.mediaurlingest.Database;
import io.mediaurlingest.ErrorCode;
import io.mediaurlingest.Ids;

/** Signature nonces, kept in the database so that a replay is refused on every node and after a restart. */
public final class NonceStore {

    private final Database database;

    public NonceStore(Database database) {
        this.database = database;
    }

    /**
     * Records a nonce until {@code keepUntil} (when its request's time leaves the freshness
     * window); refuses one seen before (the primary key decides, atomically).
     */
    public void useOnce(String nonce, String accessKeyId, Instant keepUntil) {
        try {
            database.update("INSERT INTO request_nonce (nonce, access_key_id, seen_at, expires_at) VALUES (?, ?, ?, ?)",
                    accessKeyId + ":" + nonce, accessKeyId, Ids.now(), keepUntil.atOffset(ZoneOffset.UTC));
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                // unique violation, on H2 and PostgreSQL alike
                throw new ApiException(ErrorCode.NONCE_USED, "The SignatureNonce " + nonce + " was already used.");
            }
            throw e;
        }
    }

    /** Forgets nonces whose requests are refused by time anyway (a minute of slack for clocks). */
    public int purgeExpired() {
        return database.update("DELETE FROM request_nonce WHERE expires_at < ?", Ids.now().minusMinutes(1));
    }
}
