package io.mediaurlingest.api;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;

/**
 * One API call in Alibaba Cloud RPC style: its Action, its parameters, the RequestId of the
 * reply, and the AppId the caller's AccessKey is bound to (null: it sees every AppId).
 */
public record RpcRequest(String requestId, String action, Map<String, String> parameters, String appScope) {

    public RpcRequest {
        parameters = Collections.unmodifiableMap(parameters);
    }

    /** A parameter's value; absent when missing or blank. */
    public Optional<String> optional(String name) {
        String value = parameters.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    /** Whether the caller may see and change what belongs to this AppId. */
    public boolean canSee(String appId) {
        return appScope == null || appScope.equals(appId);
    }

    public String required(String name) {
        return optional(name).orElseThrow(() -> ApiException.missing(name));
    }
}
