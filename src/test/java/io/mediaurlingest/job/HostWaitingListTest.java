package io.mediaurlingest.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mediaurlingest.HostSlots;
import io.mediaurlingest.ops.IngestMetrics;

/** Jobs wait for their source host on one node: in line, without laps of the queue. */
class HostWaitingListTest {

    final HostWaitingList list = new HostWaitingList(new HostSlots(1), new IngestMetrics(new SimpleMeterRegistry()));

    @Test
    void aSubmittedJobJoinsTheLineWheneverNoSlotOfItsHostIsFree() {
        assertThat(list.parkBehindOthers("http://a.example/1.mp4", "j1")).isFalse(); // a slot is free: it is queued
        assertThat(list.acquireOrWait("http://a.example/1.mp4", "j1")).isTrue();
        // the host's one slot is taken and nobody waits yet (its worker is busy downloading, so no
        // worker forms a line): the job joins the line all the same, as does the next
        assertThat(list.parkBehindOthers("http://a.example/2.mp4", "j2")).isTrue();
        assertThat(list.parkBehindOthers("http://A.example/3.mp4", "j3")).isTrue();
        assertThat(list.parkBehindOthers("http://b.example/1.mp4", "k1")).isFalse(); // another host
        assertThat(list.parkBehindOthers("http://a.example/2.mp4", "j2")).isTrue(); // once in line, once
        assertThat(list.size()).isEqualTo(2);

        assertThat(list.release("http://a.example/1.mp4")).isEqualTo("j2"); // in the order they came
        // j2 is handed the free slot; until it takes it, a new job goes on the queue and may take it first
        assertThat(list.parkBehindOthers("http://a.example/4.mp4", "j4")).isFalse();
        assertThat(list.acquireOrWait("http://a.example/2.mp4", "j2")).isTrue();
        assertThat(list.release("http://a.example/2.mp4")).isEqualTo("j3");
        assertThat(list.release("http://a.example/3.mp4")).isNull();
        assertThat(list.size()).isZero();
    }

    @Test
    void aJobHandedASlotThatAnEarlierJobTookGoesBackToTheHeadOfTheLine() {
        assertThat(list.acquireOrWait("http://a.example/1.mp4", "j1")).isTrue();
        assertThat(list.parkBehindOthers("http://a.example/2.mp4", "j2")).isTrue();
        assertThat(list.parkBehindOthers("http://a.example/3.mp4", "j3")).isTrue();
        assertThat(list.release("http://a.example/1.mp4")).isEqualTo("j2");
        // a job that was on the queue before j2 came round takes the slot first
        assertThat(list.acquireOrWait("http://a.example/0.mp4", "j0")).isTrue();
        assertThat(list.acquireOrWait("http://a.example/2.mp4", "j2")).isFalse();
        assertThat(list.release("http://a.example/0.mp4")).isEqualTo("j2"); // still ahead of j3
        assertThat(list.acquireOrWait("http://a.example/2.mp4", "j2")).isTrue();
        // a job that only came round the queue again (the stale sweep) keeps its place
        assertThat(list.acquireOrWait("http://a.example/3.mp4", "j3")).isFalse();
        assertThat(list.parkBehindOthers("http://a.example/5.mp4", "j5")).isTrue();
        assertThat(list.acquireOrWait("http://a.example/3.mp4", "j3")).isFalse();
        assertThat(list.release("http://a.example/2.mp4")).isEqualTo("j3");
        assertThat(list.acquireOrWait("http://a.example/3.mp4", "j3")).isTrue();
        assertThat(list.release("http://a.example/3.mp4")).isEqualTo("j5");
    }

    @Test
    void aFreeSlotNobodyTookHandsTheNextInLineOn() {
        assertThat(list.acquireOrWait("http://a.example/1.mp4", "j1")).isTrue();
        assertThat(list.acquireOrWait("http://a.example/2.mp4", "j2")).isFalse();
        assertThat(list.parkBehindOthers("http://a.example/3.mp4", "j3")).isTrue();
        assertThat(list.nextIfFree("http://a.example/x.mp4", "x")).isNull(); // j1 holds the slot

        assertThat(list.release("http://a.example/1.mp4")).isEqualTo("j2");
        // j2 was canceled meanwhile and skips its turn: j3 is next, the slot being free
        assertThat(list.nextIfFree("http://a.example/2.mp4", "j2")).isEqualTo("j3");
        assertThat(list.nextIfFree("http://a.example/2.mp4", "j3")).isNull();
    }
}
