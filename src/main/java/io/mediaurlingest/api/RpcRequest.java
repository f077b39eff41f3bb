package io.mediaurlingest.api;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;

/** One API call in Alibaba Cloud RPC style: its Action, its parameters, and the RequestId of the reply. */
public record RpcRequest(String requestId, String action, Map<String, String> parameters) {

    public RpcRequest {
        parameters = Collections.unmodifiableMap(parameters);
    }

    /** A parameter's value; absent when missing or blank. */
    public Optional<String> optional(String name) {
        String value = parameters.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    public String required(String name) {
        return optional(name).orElseThrow(() -> ApiException.missing(name));
    }
}
