package io.mediaurlingest.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.mediaurlingest.ApiFamily;
import io.mediaurlingest.Ids;
import io.mediaurlingest.media.MediaAsset;
import io.mediaurlingest.media.MediaRepository;
import io.mediaurlingest.workflow.WorkflowRequest;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

/**
 * A workflow an operator wrote (src/test/resources/test-workflows/tag-reviewed.camel.yaml)
 * run by the real run-workflow route: copy this test for your own workflow.
 */
class WorkflowRouteTest extends RouteTestSupport {

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties p = super.useOverridePropertiesWithPropertiesComponent();
        p.setProperty("ingest.workflows", "classpath:routes/workflows/*.camel.yaml,classpath:test-workflows/*.camel.yaml");
        return p;
    }

    private MediaRepository media() {
        return context.getRegistry().lookupByNameAndType("mediaRepository", MediaRepository.class);
    }

    /** A media asset as a finished job registers it. */
    private String mediaWithTags(String tags) {
        var now = Ids.now();
        String mediaId = Ids.newId();
        media().insert(new MediaAsset(mediaId, "clip", null, tags, null, null, "video", "Normal", "general", null, null,
                null, null, null, null, "http://127.0.0.1:9/vod/media/" + mediaId + ".mp4", "UploadByURL", "local-vod",
                "vod", "media/" + mediaId + ".mp4", mediaId + ".mp4", 10, "video/mp4", null, null, null, now, now));
        return mediaId;
    }

    /** Runs the workflow as a finished job hands it over; returns the WorkflowComplete event's outcome. */
    private String run(String workflowId, String mediaId) throws Exception {
        NotifyBuilder done = new NotifyBuilder(context).fromRoute("run-workflow").whenDone(1).create();
        template.sendBody("{{ingest.workflow.queue.uri}}", new WorkflowRequest(workflowId, mediaId, Ids.newId(), null, null, ApiFamily.ICE).toJson());
        assertThat(done.matches(5, TimeUnit.SECONDS)).isTrue();
        return media().workflow(mediaId)[1];
    }

    @Test
    void theWorkflowRunsOnTheMediaAndItsEventIsSent() throws Exception {
        AdviceWith.adviceWith(context, "send-event", route -> route.mockEndpointsAndSkip("seda:callback-events*"));
        context.start();
        String mediaId = mediaWithTags("news");
        MockEndpoint events = getMockEndpoint("mock:seda:callback-events");
        events.expectedMessageCount(1);

        assertThat(run("tag-reviewed", mediaId)).isEqualTo("SUCCESS");

        assertThat(media().find(mediaId).orElseThrow().tags()).isEqualTo("news,reviewed");
        events.assertIsSatisfied();
    }

    @Test
    void aWorkflowThatThrowsEndsFailWithItsMessage() throws Exception {
        AdviceWith.adviceWith(context, "workflow-tag-reviewed", route -> route.weaveAddFirst()
                .throwException(new IllegalStateException("the tagging service is down")));
        context.start();
        String mediaId = mediaWithTags(null);

        assertThat(run("tag-reviewed", mediaId)).isEqualTo("FAIL");

        assertThat(media().workflow(mediaId)[2]).contains("the tagging service is down");
    }
}
