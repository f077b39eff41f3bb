package io.mediaurlingest.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediaurlingest.Database;
import io.mediaurlingest.Headers;
import io.mediaurlingest.Json;
import io.mediaurlingest.callback.CallbackEvent;
import io.mediaurlingest.callback.EventBody;
import io.mediaurlingest.callback.EventOutbox;
import io.mediaurlingest.job.IngestWork;
import io.mediaurlingest.job.UploadJob;
import io.mediaurlingest.media.MediaRepository;
import io.mediaurlingest.ops.IngestMetrics;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps around a workflow route: which workflow a finished job asked for, its state on
 * the media (RUNNING, SUCCESS, FAIL with the error), and its WorkflowComplete event, sent
 * through the same outbox as the upload events.
 */
public final class WorkflowRunner {

    public static final String EVENT_TYPE = "WorkflowComplete";
    private static final Logger LOG = LoggerFactory.getLogger(WorkflowRunner.class);

    private final Database database;
    private final MediaRepository media;
    private final EventOutbox outbox;
    private final IngestMetrics metrics;

    public WorkflowRunner(Database database, MediaRepository media, EventOutbox outbox, IngestMetrics metrics) {
        this.metrics = metrics;
        this.database = database;
        this.media = media;
        this.outbox = outbox;
    }

    /** The workflow the just-finished job named (MediaMetaData.WorkflowId wins over PostProcessConfig), or null. */
    public String requestFor(Exchange exchange) {
        IngestWork work = exchange.getProperty(Headers.WORK, IngestWork.class);
        if (work == null) {
            return null;
        }
        UploadJob job = work.job();
        String id = field(job.mediaMeta(), "WorkflowId");
        if (id == null) {
            id = field(job.postProcess(), "ProcessID");
        }
        if (id == null) {
            return null;
        }
        media.workflowState(job.mediaId(), id, "PENDING", null);
        return new WorkflowRequest(id, job.mediaId(), job.jobId(), job.appId(), job.userData(), job.apiFamily()).toJson();
    }

    /**
     * Body: the request's JSON. Sets the MediaId and WorkflowId headers the workflow routes read,
     * and the body to the MediaId.
     */
    public String begin(String requestJson, Exchange exchange) {
        WorkflowRequest request = WorkflowRequest.fromJson(requestJson);
        exchange.setProperty(Headers.WORKFLOW_REQUEST, request);
        exchange.getMessage().setHeader(Headers.MEDIA_ID, request.mediaId());
        exchange.getMessage().setHeader(Headers.WORKFLOW_ID, request.workflowId());
        media.workflowState(request.mediaId(), request.workflowId(), "RUNNING", null);
        return request.mediaId();
    }

    /** @return the id of the WorkflowComplete event */
    public String succeeded(Exchange exchange) {
        WorkflowRequest request = exchange.getProperty(Headers.WORKFLOW_REQUEST, WorkflowRequest.class);
        LOG.info("Workflow {} on media {} SUCCESS", request.workflowId(), request.mediaId());
        return end(request, "SUCCESS", null);
    }

    /** @return the id of the WorkflowComplete event */
    public String failed(Exchange exchange) {
        WorkflowRequest request = exchange.getProperty(Headers.WORKFLOW_REQUEST, WorkflowRequest.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String error = cause == null ? "unknown error" : cause.getMessage();
        if (request == null) {
            LOG.error("Workflow failed before it began", cause);
            return null;
        }
        LOG.warn("Workflow {} on media {} FAIL: {}", request.workflowId(), request.mediaId(), error);
        return end(request, "FAIL", error);
    }

    private String end(WorkflowRequest request, String status, String error) {
        media.workflowState(request.mediaId(), request.workflowId(), status, error);
        metrics.workflowRun(request.workflowId(), status);
        CallbackEvent event = new EventBody(EVENT_TYPE, request.jobId(), request.mediaId(), request.appId(),
                request.userData())
                .put("WorkflowId", request.workflowId())
                .outcome(status.equals("SUCCESS"), error == null ? null : "WorkflowFailed",
                        error == null || error.length() <= 500 ? error : error.substring(0, 500))
                .toEvent(outbox.shape(), request.apiFamily());
        database.inTransaction(c -> {
            outbox.add(c, event);
            return null;
        });
        return event.eventId();
    }

    private static String field(String json, String name) {
        JsonNode value = Json.readStored(json).get(name);
        return value == null || value.isNull() || value.asText().isBlank() ? null : value.asText();
    }

}
