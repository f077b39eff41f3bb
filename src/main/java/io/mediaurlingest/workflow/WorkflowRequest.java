package io.mediaurlingest.workflow;

import io.mediaurlingest.ApiFamily;

/** A workflow to run on a registered media, with what its completion event needs. */
public record WorkflowRequest(String workflowId, String mediaId, String jobId, String appId, String userData,
        ApiFamily apiFamily) {
}
