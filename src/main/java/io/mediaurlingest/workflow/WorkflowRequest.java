package io.mediaurlingest.workflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.mediaurlingest.ApiFamily;
import io.mediaurlingest.Json;

/**
 * A workflow to run on a registered media, with what its completion event needs. It travels on
 * the workflow queue as JSON text, which a broker carries as it is (cluster mode).
 */
public record WorkflowRequest(String workflowId, String mediaId, String jobId, String appId, String userData,
        ApiFamily apiFamily) {

    public String toJson() {
        return Json.write(this);
    }

    public static WorkflowRequest fromJson(String json) {
        try {
            return Json.MAPPER.readValue(json, WorkflowRequest.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a workflow request: " + e.getOriginalMessage(), e);
        }
    }
}
