package io.mediaurlingest.api;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import io.mediaurlingest.Database;
import io.mediaurlingest.ErrorCode;
import io.mediaurlingest.Ids;

/**
 * What may be used once: signature nonces, and VOD's submit SessionIds (once in 10 minutes).
 * Kept in the database so that a replay is refused on every node and after a restart.
 */
public final class NonceStore {

    static final Duration SESSION_WINDOW = Duration.ofMinutes(10);

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
            if (Database.isUniqueViolation(e)) {
                throw new ApiException(ErrorCode.NONCE_USED, "The SignatureNonce " + nonce + " was already used.");
            }
            throw e;
        }
    }

    /**
     * Takes a submit's SessionId on the submit's own transaction, so the id counts only when the
     * jobs exist; refuses one taken within the last 10 minutes in the same AppId scope.
     */
    void useSessionOnce(Connection c, String appScope, String sessionId) throws SQLException {
        String scope = appScope == null ? "" : appScope;
        OffsetDateTime now = Ids.now();
        int taken = Database.update(c, "UPDATE submit_session SET used_at = ? WHERE app_scope = ? AND session_id = ? "
                + "AND used_at < ?", now, scope, sessionId, now.minus(SESSION_WINDOW));
        if (taken == 0 && Database.query(c, 1, "SELECT 1 FROM submit_session WHERE app_scope = ? AND session_id = ?",
                rs -> 1, scope, sessionId).isEmpty()) {
            try {
                taken = Database.update(c, "INSERT INTO submit_session (app_scope, session_id, used_at) VALUES (?, ?, ?)",
                        scope, sessionId, now);
            } catch (SQLException e) {
                if (!Database.isUniqueViolation(e)) {
                    throw e;
                }
                // a concurrent submit took it first
            }
        }
        if (taken == 0) {
            throw new ApiException(ErrorCode.SESSION_ID_USED, "The SessionId " + sessionId
                    + " was used within the last 10 minutes; nothing was submitted.");
        }
    }

    /** Forgets nonces whose requests are refused by time anyway (a minute of slack for clocks), and spent SessionIds. */
    public int purgeExpired() {
        database.update("DELETE FROM submit_session WHERE used_at < ?", Ids.now().minus(SESSION_WINDOW));
        return database.update("DELETE FROM request_nonce WHERE expires_at < ?", Ids.now().minusMinutes(1));
    }
}
