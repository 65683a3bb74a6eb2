package dev.replicator.platform.paging;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/** One page of a list: its items and the cursor for the next page, or null on the last page. */
@Serdeable
public record Page<T>(List<T> items, @Nullable String nextCursor) {

  public <R> Page<R> map(Function<T, R> mapper) {
    return new Page<>(items.stream().map(mapper).toList(), nextCursor);
  }

  /**
   * Builds a page from rows fetched with {@code limit + 1}: the extra row only tells that there is
   * a next page, which starts after the last returned item.
   */
  public static <R, T> Page<T> of(
      List<R> rows, PageRequest request, Function<R, UUID> idOf, Function<R, T> map) {
    boolean more = rows.size() > request.limit();
    List<R> page = more ? rows.subList(0, request.limit()) : rows;
    String next = more ? Cursor.encode(idOf.apply(page.get(page.size() - 1))) : null;
    return new Page<>(page.stream().map(map).toList(), next);
  }
}
