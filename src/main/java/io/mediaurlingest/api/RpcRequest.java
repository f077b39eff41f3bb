package io.mediaurlingest.api;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;

import io.mediaurlingest.ApiFamily;

/**
 * One API call in Alibaba Cloud RPC style: its Action, its parameters, the RequestId of the
 * reply, the AppId the caller's AccessKey is bound to (null: it sees every AppId), and the API
 * family its Version names.
 */
public record RpcRequest(String requestId, String action, Map<String, String> parameters, String appScope,
        ApiFamily family) {

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

    /** The same call with other parameters (a VOD call read as the ICE call it amounts to). */
    public RpcRequest withParameters(Map<String, String> other) {
        return new RpcRequest(requestId, action, other, appScope, family);
    }

    public String required(String name) {
        return optional(name).orElseThrow(() -> ApiException.missing(name));
    }
}
