package io.mediaurlingest.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediaurlingest.Database;
import io.mediaurlingest.Json;
import io.mediaurlingest.callback.CallbackEvent;
import io.mediaurlingest.callback.EventBody;
import io.mediaurlingest.callback.EventOutbox;
import io.mediaurlingest.job.IngestWork;
import io.mediaurlingest.job.JobLifecycle;
import io.mediaurlingest.job.UploadJob;
import io.mediaurlingest.media.MediaRepository;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps around a workflow route: which workflow a finished job asked for, its state on
 * the media (RUNNING, SUCCESS, FAIL with the error), and its WorkflowComplete event, sent
 * through the same outbox as the upload events.
 */
public final class WorkflowRunner {

    public static final String MEDIA_ID = "MediaId";
    public static final String WORKFLOW_ID = "WorkflowId";
    public static final String EVENT_TYPE = "WorkflowComplete";
    private static final String REQUEST = "WorkflowRequest";
    private static final Logger LOG = LoggerFactory.getLogger(WorkflowRunner.class);

    private final Database database;
    private final MediaRepository media;
    private final EventOutbox outbox;
    private final ProducerTemplate producer;

    public WorkflowRunner(Database database, MediaRepository media, EventOutbox outbox, ProducerTemplate producer) {
        this.database = database;
        this.media = media;
        this.outbox = outbox;
        this.producer = producer;
    }

    /** The workflow the just-finished job named (MediaMetaData.WorkflowId wins over PostProcessConfig), or null. */
    public WorkflowRequest requestFor(Exchange exchange) {
        IngestWork work = exchange.getProperty(JobLifecycle.WORK, IngestWork.class);
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
        return new WorkflowRequest(id, job.mediaId(), job.jobId(), job.appId(), job.userData());
    }

    /** Body: the request. Sets the MediaId and WorkflowId headers the workflow routes read. */
    public void begin(WorkflowRequest request, Exchange exchange) {
        exchange.setProperty(REQUEST, request);
        exchange.getMessage().setHeader(MEDIA_ID, request.mediaId());
        exchange.getMessage().setHeader(WORKFLOW_ID, request.workflowId());
        media.workflowState(request.mediaId(), request.workflowId(), "RUNNING", null);
    }

    /**
     * Runs the route direct:workflow-{id} with the MediaId and WorkflowId headers, and fails
     * with its exception: a workflow route's own error handler must not swallow the failure.
     */
    public void run(Exchange exchange) {
        WorkflowRequest request = exchange.getProperty(REQUEST, WorkflowRequest.class);
        Exchange result = producer.send("direct:workflow-" + request.workflowId(), e -> {
            e.getMessage().setHeader(MEDIA_ID, request.mediaId());
            e.getMessage().setHeader(WORKFLOW_ID, request.workflowId());
            e.getMessage().setBody(request.mediaId());
        });
        if (result.getException() != null) {
            throw new IllegalStateException(result.getException().getMessage(), result.getException());
        }
    }

    /** @return the id of the WorkflowComplete event */
    public String succeeded(Exchange exchange) {
        WorkflowRequest request = exchange.getProperty(REQUEST, WorkflowRequest.class);
        LOG.info("Workflow {} on media {} SUCCESS", request.workflowId(), request.mediaId());
        return end(request, "SUCCESS", null);
    }

    /** @return the id of the WorkflowComplete event */
    public String failed(Exchange exchange) {
        WorkflowRequest request = exchange.getProperty(REQUEST, WorkflowRequest.class);
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
        CallbackEvent event = new EventBody(EVENT_TYPE, request.jobId(), request.mediaId(), request.appId(),
                request.userData())
                .put("WorkflowId", request.workflowId())
                .outcome(status.equals("SUCCESS"), error == null ? null : "WorkflowFailed",
                        error == null || error.length() <= 500 ? error : error.substring(0, 500))
                .toEvent();
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
