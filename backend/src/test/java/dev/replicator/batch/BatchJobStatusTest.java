package dev.replicator.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BatchJobStatusTest {

  @Test
  void followsTheDiagram() {
    assertThat(BatchJobStatus.PREPARING.to(BatchJobStatus.RUNNING))
        .isEqualTo(BatchJobStatus.RUNNING);
    assertThat(BatchJobStatus.PREPARING.to(BatchJobStatus.FAILED)).isEqualTo(BatchJobStatus.FAILED);
    assertThat(BatchJobStatus.RUNNING.to(BatchJobStatus.CANCELLED))
        .isEqualTo(BatchJobStatus.CANCELLED);
  }

  @Test
  void anEndedJobStaysEnded() {
    for (BatchJobStatus ended :
        new BatchJobStatus[] {
          BatchJobStatus.COMPLETED, BatchJobStatus.FAILED, BatchJobStatus.CANCELLED
        }) {
      for (BatchJobStatus target : BatchJobStatus.values()) {
        assertThatThrownBy(() -> ended.to(target)).isInstanceOf(IllegalStateException.class);
      }
    }
    assertThatThrownBy(() -> BatchJobStatus.RUNNING.to(BatchJobStatus.FAILED))
        .isInstanceOf(IllegalStateException.class);
  }
}
