package io.mediaurlingest.api;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import io.mediaurlingest.Database;
import io.mediaurlingest.Digests;
import io.mediaurlingest.Ids;
import io.mediaurlingest.Json;

/**
 * ICE's ClientToken on UploadMediaByURL: the first call with a token (per AppId scope) is
 * remembered with its reply for 24 hours, in the transaction that creates its jobs; a repeat
 * with the same parameters gets that reply again and creates nothing, a repeat with other
 * parameters is refused (IdempotentParameterMismatch).
 */
public final class ClientTokens {

    static final Duration KEEP = Duration.ofHours(24);
    /** What signs or frames a call rather than saying what it asks for: left out of the fingerprint. */
    private static final Set<String> FRAMING = Set.of("Signature", "SignatureMethod", "SignatureVersion", "SignatureNonce",
            "SignatureType", "Timestamp", "AccessKeyId", "SecurityToken", "Format", "RegionId", "Version", "ClientToken");

    private final Database database;

    public ClientTokens(Database database) {
        this.database = database;
    }

    /** A token's first call: what it asked (fingerprint) and what it was answered (reply JSON). */
    record Earlier(String fingerprint, String reply) {
    }

    /** SHA-256 of the call's parameters in name order, framing left out. */
    static String fingerprint(Map<String, String> parameters) {
        Map<String, String> asked = new TreeMap<>(parameters);
        asked.keySet().removeAll(FRAMING);
        return Digests.sha256Hex(Json.write(asked));
    }

    Optional<Earlier> find(String appScope, String token) {
        return database.queryOne("SELECT fingerprint, reply FROM submit_token WHERE app_scope = ? AND client_token = ? "
                + "AND created_at >= ?", rs -> new Earlier(rs.getString(1), rs.getString(2)), scope(appScope), token,
                Ids.now().minus(KEEP));
    }

    /** Remembers a token's first call on the submit's transaction (a concurrent twin fails on the primary key). */
    void remember(Connection c, String appScope, String token, String fingerprint, String reply) throws SQLException {
        Database.update(c, "DELETE FROM submit_token WHERE app_scope = ? AND client_token = ? AND created_at < ?",
                scope(appScope), token, Ids.now().minus(KEEP));
        Database.update(c, "INSERT INTO submit_token (app_scope, client_token, fingerprint, reply, created_at) "
                + "VALUES (?, ?, ?, ?, ?)", scope(appScope), token, fingerprint, reply, Ids.now());
    }

    /** Forgets tokens older than 24 hours. */
    public int purgeExpired() {
        return database.update("DELETE FROM submit_token WHERE created_at < ?", Ids.now().minus(KEEP));
    }

    private static String scope(String appScope) {
        return appScope == null ? "" : appScope;
    }
}
