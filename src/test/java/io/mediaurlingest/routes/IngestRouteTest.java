package io.mediaurlingest.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.mediaurlingest.ErrorCode;
import io.mediaurlingest.Headers;
import io.mediaurlingest.job.IngestWork;
import io.mediaurlingest.job.JobFailure;
import io.mediaurlingest.job.JobLifecycle;
import io.mediaurlingest.job.JobStatus;
import io.mediaurlingest.job.JobSweeps;
import io.mediaurlingest.job.UploadJob;
import io.mediaurlingest.workflow.WorkflowRequest;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

/**
 * The ingest flow (routes/ingest.camel.yaml) step by step: the real claim, error policy,
 * dead-letter route and lifecycle on an in-memory database; download, checks, probe, store and
 * the job's completion replaced by recording stand-ins. Each test takes well under a second.
 */
class IngestRouteTest extends RouteTestSupport {

    static final List<String> WORK_STEPS = List.of("download", "verify-media", "verify-checksum", "probe", "store",
            "complete");

    /** What a test makes a replaced step do before it records itself (block, throw). */
    private final Map<String, Processor> hooks = new ConcurrentHashMap<>();

    /** Every work step records its id on mock:steps; complete answers an event id as the real one does. */
    private MockEndpoint recordSteps() throws Exception {
        AdviceWith.adviceWith(context, "ingest", route -> {
            for (String step : WORK_STEPS) {
                var replaced = route.weaveById(step).replace()
                        .process(e -> hooks.getOrDefault(step, x -> { }).process(e))
                        .setHeader("Step", route.constant(step)).to("mock:steps");
                if (step.equals("complete")) {
                    replaced.setBody(route.constant("event-of-success"));
                }
            }
            route.mockEndpointsAndSkip("seda:workflows*");
        });
        AdviceWith.adviceWith(context, "send-event", route -> route.mockEndpointsAndSkip("seda:callback-events*"));
        return getMockEndpoint("mock:steps");
    }

    private static List<String> stepsOf(MockEndpoint steps) {
        return steps.getReceivedExchanges().stream().map(e -> e.getMessage().getHeader("Step", String.class)).toList();
    }

    @Test
    void aClaimedJobRunsEveryStepInOrderAndItsEventIsSent() throws Exception {
        MockEndpoint steps = recordSteps();
        context.start();
        UploadJob job = pendingJob("https://cdn.example.com/a.mp4", null);
        MockEndpoint events = getMockEndpoint("mock:seda:callback-events");
        events.expectedBodiesReceived("event-of-success");

        template.sendBody("direct:ingest-jobs", job.jobId());

        assertThat(stepsOf(steps)).containsExactlyElementsOf(WORK_STEPS);
        events.assertIsSatisfied();
        getMockEndpoint("mock:seda:workflows").expectedMessageCount(0);
        getMockEndpoint("mock:seda:workflows").assertIsSatisfied();
        assertThat(jobs().find(job.jobId()).orElseThrow().status()).isEqualTo(JobStatus.PROCESSING); // complete was replaced
    }

    @Test
    void aJobThatIsNotThereToRunIsSkipped() throws Exception {
        MockEndpoint steps = recordSteps();
        context.start();
        UploadJob finished = pendingJob("https://cdn.example.com/b.mp4", null);
        jobs().claim(finished, "other-node", jobs().now().plusMinutes(5)); // another node's, lease alive

        template.sendBody("direct:ingest-jobs", "no-such-job");
        template.sendBody("direct:ingest-jobs", finished.jobId());

        assertThat(stepsOf(steps)).isEmpty();
    }

    @Test
    void aJobWhoseHostIsFullWaitsParkedAndRunsWhenTheDownloadBeforeItEnds() throws Exception {
        // one download per host (ingest.fetch.per-host-concurrency=1 below): the first job holds
        // its download until released, then fails for good (its end frees the host's slot)
        CountDownLatch downloading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        MockEndpoint steps = recordSteps();
        hooks.put("download", e -> {
            if (isFirst(e)) {
                downloading.countDown();
                release.await(10, TimeUnit.SECONDS);
            }
        });
        hooks.put("verify-media", e -> {
            if (isFirst(e)) {
                throw JobFailure.permanent(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "not media");
            }
        });
        context.start();
        UploadJob first = pendingJob("https://cdn.example.com/1.mp4", null);
        UploadJob second = pendingJob("https://cdn.example.com/2.mp4", null);
        Thread worker = new Thread(() -> template.sendBody("direct:ingest-jobs", first.jobId()));
        worker.start();
        assertThat(downloading.await(10, TimeUnit.SECONDS)).isTrue();

        template.sendBody("direct:ingest-jobs", second.jobId());

        JobLifecycle lifecycle = context.getRegistry().lookupByNameAndType("jobLifecycle", JobLifecycle.class);
        assertThat(lifecycle.waitingForHost()).isEqualTo(1);
        assertThat(jobs().find(second.jobId()).orElseThrow().status()).isEqualTo(JobStatus.PENDING);
        release.countDown();
        worker.join(10_000);
        assertThat(lifecycle.waitingForHost()).isZero();
        assertThat(jobs().find(first.jobId()).orElseThrow().status()).isEqualTo(JobStatus.FAIL);
        List<String> expected = new java.util.ArrayList<>(List.of("download")); // the first job, then all of the second
        expected.addAll(WORK_STEPS);
        assertThat(stepsOf(steps)).containsExactlyElementsOf(expected);
    }

    private static boolean isFirst(Exchange exchange) {
        return exchange.getProperty(Headers.WORK, IngestWork.class).job().sourceUrl().endsWith("/1.mp4");
    }

    @Test
    void transientFailuresAreRetriedUntilTheAttemptsAreSpentThenTheJobFails() throws Exception {
        recordSteps();
        AtomicInteger downloads = new AtomicInteger();
        hooks.put("download", e -> {
            downloads.incrementAndGet();
            throw JobFailure.transientFailure(ErrorCode.SOURCE_UNAVAILABLE, "The source answered HTTP 503.", null);
        });
        context.start();
        UploadJob job = pendingJob("https://cdn.example.com/c.mp4", null);
        NotifyBuilder failed = new NotifyBuilder(context).wereSentTo("direct:job-failed").whenDone(1).create();

        template.sendBody("direct:ingest-jobs", job.jobId());

        assertThat(failed.matches(5, TimeUnit.SECONDS)).isTrue();
        // ingest.fetch.max-attempts=3: the first attempt and two redeliveries to the failing step
        assertThat(downloads.get()).isEqualTo(3);
        assertThat(jobs().find(job.jobId()).orElseThrow().attempts()).isEqualTo(3);
        UploadJob ended = jobs().find(job.jobId()).orElseThrow();
        assertThat(ended.status()).isEqualTo(JobStatus.FAIL);
        assertThat(ended.errorCode()).isEqualTo("SourceUnavailable");
        getMockEndpoint("mock:seda:callback-events").expectedMessageCount(1);
        getMockEndpoint("mock:seda:callback-events").assertIsSatisfied();
    }

    @Test
    void aPermanentFailureEndsTheJobAtOnce() throws Exception {
        MockEndpoint steps = recordSteps();
        hooks.put("verify-media", e -> {
            throw JobFailure.permanent(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "The downloaded file is text/html.");
        });
        context.start();
        UploadJob job = pendingJob("https://cdn.example.com/d.mp4", null);

        template.sendBody("direct:ingest-jobs", job.jobId());

        assertThat(stepsOf(steps)).containsExactly("download");
        UploadJob ended = jobs().find(job.jobId()).orElseThrow();
        assertThat(ended.status()).isEqualTo(JobStatus.FAIL);
        assertThat(ended.errorCode()).isEqualTo("UnsupportedMediaType");
        assertThat(ended.attempts()).isEqualTo(1);
    }

    @Test
    void aJobThatNamedAWorkflowHandsItOver() throws Exception {
        recordSteps();
        context.start();
        UploadJob job = pendingJob("https://cdn.example.com/e.mp4", "{\"ProcessType\":\"Workflow\",\"ProcessID\":\"snapshot\"}");
        MockEndpoint workflows = getMockEndpoint("mock:seda:workflows");
        workflows.expectedMessageCount(1);

        template.sendBody("direct:ingest-jobs", job.jobId());

        workflows.assertIsSatisfied();
        WorkflowRequest request = WorkflowRequest.fromJson(workflows.getReceivedExchanges().get(0).getMessage().getBody(String.class));
        assertThat(request.workflowId()).isEqualTo("snapshot");
        assertThat(request.mediaId()).isEqualTo(job.mediaId());
    }

    /** A node that stops renewing its lease (it died) loses the job to the sweep once the lease ran out. */
    @Test
    void aJobWhoseLeaseRanOutIsQueuedAgainByTheSweep() throws Exception {
        context.start();
        UploadJob job = pendingJob("https://cdn.example.com/f.mp4", null);
        jobs().claim(job, "dead-node", jobs().now().plusSeconds(30));
        JobSweeps sweeps = context.getRegistry().lookupByNameAndType("jobSweeps", JobSweeps.class);

        assertThat(sweeps.stale()).doesNotContain(job.jobId());
        clock.advance(Duration.ofSeconds(31));
        assertThat(sweeps.stale()).containsExactly(job.jobId());
        assertThat(jobs().claim(jobs().find(job.jobId()).orElseThrow(), "this-node", jobs().now().plusSeconds(30))).isPresent();
    }

    @Override
    protected java.util.Properties useOverridePropertiesWithPropertiesComponent() {
        java.util.Properties p = super.useOverridePropertiesWithPropertiesComponent();
        p.setProperty("ingest.fetch.per-host-concurrency", "1");
        return p;
    }
}
