package dev.replicator.platform.paging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.replicator.platform.Ids;
import dev.replicator.platform.problem.ApiException;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CursorTest {

  @Test
  void aCursorDecodesToTheIdItWasMadeFrom() {
    UUID id = Ids.next();
    assertThat(Cursor.decode(Cursor.encode(id))).isEqualTo(id);
  }

  @ParameterizedTest
  @ValueSource(strings = {"not-a-cursor", "", "djE6", "djI6QUFBQUFBQUFBQUFBQUFBQUFBQUFBQQ", "%%%"})
  void foreignCursorsAreRejectedAsInvalidInput(String cursor) {
    assertThatThrownBy(() -> Cursor.decode(cursor))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("nextCursor");
  }

  @Test
  void idsSortInCreationOrder() {
    UUID first = Ids.next();
    UUID second = Ids.next();
    assertThat(first.compareTo(second)).isNegative();
  }

  @Test
  void limitsOutsideOneToOneThousandAreRejected() {
    assertThatThrownBy(() -> PageRequest.of(0, null)).isInstanceOf(ApiException.class);
    assertThatThrownBy(() -> PageRequest.of(1001, null)).isInstanceOf(ApiException.class);
    assertThat(PageRequest.of(null, null).limit()).isEqualTo(100);
    assertThat(PageRequest.of(1000, null).fetchSize()).isEqualTo(1001);
  }
}
