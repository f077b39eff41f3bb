package io.mediaurlingest.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediaurlingest.Json;

/**
 * The AccessKeys that may call the API: one from ingest.auth.access-key-id/-secret (every
 * action), more from the JSON file ingest.auth.keys-file. None at all means unsigned access.
 */
public final class AccessKeys {

    private final Map<String, AccessKey> byId = new LinkedHashMap<>();

    public static AccessKeys of(String accessKeyId, String accessKeySecret, Path keysFile) throws IOException {
        AccessKeys keys = new AccessKeys();
        if (accessKeyId != null) {
            if (accessKeySecret == null) {
                throw new IllegalStateException("ingest.auth.access-key-id is set but ingest.auth.access-key-secret is not");
            }
            keys.add(new AccessKey(accessKeyId, accessKeySecret, List.of("*"), null));
        }
        if (keysFile != null) {
            JsonNode root = Json.read(Files.readString(keysFile));
            for (JsonNode k : root.path("AccessKeys")) {
                String id = k.path("AccessKeyId").asText(null);
                String secret = k.path("AccessKeySecret").asText(null);
                if (id == null || secret == null) {
                    throw new IllegalStateException(keysFile + ": every entry needs AccessKeyId and AccessKeySecret");
                }
                List<String> actions = new ArrayList<>();
                k.path("Actions").forEach(a -> actions.add(a.asText()));
                if (actions.isEmpty()) {
                    throw new IllegalStateException(keysFile + ": the key " + id + " lists no Actions");
                }
                keys.add(new AccessKey(id, secret, actions, k.path("AppId").asText(null)));
            }
        }
        return keys;
    }

    private void add(AccessKey key) {
        if (byId.putIfAbsent(key.id(), key) != null) {
            throw new IllegalStateException("the AccessKeyId " + key.id() + " is configured twice");
        }
    }

    public boolean isEmpty() {
        return byId.isEmpty();
    }

    public Optional<AccessKey> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }
}
