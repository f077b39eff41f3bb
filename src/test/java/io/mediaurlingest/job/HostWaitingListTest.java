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
    void aSubmittedJobJoinsTheLineOnlyWhileOthersWaitAndNoSlotIsFree() {
        assertThat(list.parkBehindOthers("http://a.example/1.mp4", "j1")).isFalse(); // nobody waits: it is queued
        assertThat(list.acquireOrWait("http://a.example/1.mp4", "j1")).isTrue();
        assertThat(list.parkBehindOthers("http://a.example/2.mp4", "j2")).isFalse(); // the host is busy, but no line yet
        assertThat(list.acquireOrWait("http://a.example/2.mp4", "j2")).isFalse();
        assertThat(list.parkBehindOthers("http://A.example/3.mp4", "j3")).isTrue();
        assertThat(list.parkBehindOthers("http://b.example/1.mp4", "k1")).isFalse(); // another host
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
    void aFreeSlotNobodyTookHandsTheNextInLineOn() {
        assertThat(list.acquireOrWait("http://a.example/1.mp4", "j1")).isTrue();
        assertThat(list.acquireOrWait("http://a.example/2.mp4", "j2")).isFalse();
        assertThat(list.parkBehindOthers("http://a.example/3.mp4", "j3")).isTrue();
        assertThat(list.nextIfFree("http://a.example/x.mp4")).isNull(); // j1 holds the slot

        assertThat(list.release("http://a.example/1.mp4")).isEqualTo("j2");
        // j2 was canceled meanwhile and skips its turn: j3 is next, the slot being free
        assertThat(list.nextIfFree("http://a.example/2.mp4")).isEqualTo("j3");
        assertThat(list.nextIfFree("http://a.example/2.mp4")).isNull();
    }
}
