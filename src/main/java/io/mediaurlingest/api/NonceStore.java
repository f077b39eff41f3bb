package io.mediaurlingest.api;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;

import io.mediaurlingest.Database;
import io.mediaurlingest.ErrorCode;
import io.mediaurlingest.Ids;

/** Signature nonces, kept in the database so that a replay is refused on every node and after a restart. */
public final class NonceStore {

    private final Database database;

    public NonceStore(Database database) {
        this.database = database;
    }

    /** Records a nonce; refuses one seen before (the primary key decides, atomically). */
    public void useOnce(String nonce, String accessKeyId) {
        database.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO request_nonce (nonce, access_key_id, seen_at) VALUES (?, ?, ?)")) {
                ps.setString(1, accessKeyId + ":" + nonce);
                ps.setString(2, accessKeyId);
                ps.setObject(3, Ids.now());
                return ps.executeUpdate();
            } catch (SQLException e) {
                if ("23505".equals(e.getSQLState())) { // unique violation, on H2 and PostgreSQL alike
                    throw new ApiException(ErrorCode.NONCE_USED, "The SignatureNonce " + nonce + " was already used.");
                }
                throw e;
            }
        });
    }

    /** Forgets nonces older than the freshness window: their requests are refused by time anyway. */
    public int purgeOlderThan(OffsetDateTime cutoff) {
        return database.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM request_nonce WHERE seen_at < ?")) {
                ps.setObject(1, cutoff);
                return ps.executeUpdate();
            }
        });
    }

    public int purgeExpired() {
        return purgeOlderThan(Ids.now().minus(RpcAuthenticator.FRESHNESS).minusMinutes(1));
    }
}
