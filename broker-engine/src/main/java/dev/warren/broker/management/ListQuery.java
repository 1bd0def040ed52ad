package dev.warren.broker.management;

import dev.warren.broker.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A list reply as RabbitMQ shapes it ({@code rabbit_mgmt_util:reply_list}): sorted by {@code sort}
 * (a dotted field) and then the default fields, reversed by {@code sort_reverse=true}; with {@code
 * page} (and {@code page_size}, {@code name}, {@code use_regex}) the paged object with {@code
 * items}, else the bare array; {@code columns} keeps only the fields named.
 */
final class ListQuery {
  private static final int DEFAULT_PAGE_SIZE = 100;
  private static final int MAX_PAGE_SIZE = 500;

  private ListQuery() {}

  /** The reply, its columns already selected (so no later selection touches the page object). */
  static HttpResponse reply(
      ApiCall call, List<Map<String, Object>> items, List<String> defaultSort) {
    List<Map<String, Object>> sorted = sort(call, items, defaultSort);
    Object reply = page(call, sorted);
    return ApiRoutes.ok(Columns.select(reply, call.query("columns"), reply instanceof Map<?, ?>));
  }

  private static List<Map<String, Object>> sort(
      ApiCall call, List<Map<String, Object>> items, List<String> defaultSort) {
    String sort = call.query("sort");
    if (sort != null && sort.isEmpty()) {
      return items; // RabbitMQ: an explicitly empty sort means "as they are"
    }
    List<String> keys = new ArrayList<>();
    if (sort != null) {
      keys.add(sort);
    }
    keys.addAll(defaultSort);
    List<Map<String, Object>> sorted = new ArrayList<>(items);
    Comparator<Map<String, Object>> order = (a, b) -> 0;
    for (String key : keys) {
      String[] path = key.split("\\.");
      order = order.thenComparing(item -> dotted(item, path), TermOrder.INSTANCE);
    }
    sorted.sort(order);
    if ("true".equals(call.query("sort_reverse"))) {
      java.util.Collections.reverse(sorted);
    }
    return sorted;
  }

  /** A missing field sorts as 0, as in RabbitMQ. */
  private static Object dotted(Map<String, Object> item, String[] path) {
    Object value = item;
    for (String key : path) {
      if (!(value instanceof Map<?, ?> map) || !map.containsKey(key)) {
        return 0L;
      }
      value = map.get(key);
    }
    return value;
  }

  private static Object page(ApiCall call, List<Map<String, Object>> sorted) {
    String pageText = call.query("page");
    if (pageText == null) {
      return sorted;
    }
    String sizeText = call.query("page_size");
    int page;
    int pageSize;
    try {
      page = Integer.parseInt(pageText);
      pageSize = sizeText == null ? DEFAULT_PAGE_SIZE : Integer.parseInt(sizeText);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("Pagination parameters are invalid");
    }
    if (page <= 0 || pageSize <= 0 || pageSize > MAX_PAGE_SIZE) {
      throw new ApiException(
          400,
          "invalid_pagination_parameters",
          "Invalid pagination parameters: page number %d, page size %d".formatted(page, pageSize));
    }
    List<Map<String, Object>> filtered =
        filter(sorted, call.query("name"), "true".equals(call.query("use_regex")));
    long offset = (long) (page - 1) * pageSize;
    if (offset > filtered.size()) {
      throw new ApiException(
          400,
          "page_out_of_range",
          "Page out of range, page: %d page size: %d, len: %d"
              .formatted(page, pageSize, filtered.size()));
    }
    List<Map<String, Object>> items =
        filtered.subList((int) offset, (int) Math.min(filtered.size(), offset + pageSize));
    Map<String, Object> reply = new LinkedHashMap<>();
    reply.put("total_count", sorted.size());
    reply.put("item_count", items.size());
    reply.put("filtered_count", filtered.size());
    reply.put("page", page);
    reply.put("page_size", pageSize);
    reply.put("page_count", (filtered.size() + pageSize - 1) / pageSize);
    reply.put("items", items);
    return reply;
  }

  private static List<Map<String, Object>> filter(
      List<Map<String, Object>> items, String name, boolean regex) {
    if (name == null || name.isEmpty()) {
      return items;
    }
    List<Map<String, Object>> kept = new ArrayList<>();
    Pattern pattern = null;
    if (regex) {
      try {
        pattern = Pattern.compile(name, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
      } catch (PatternSyntaxException e) {
        throw ApiException.badRequest("invalid regular expression: " + e.getDescription());
      }
    }
    String lower = name.toLowerCase(Locale.ROOT);
    for (Map<String, Object> item : items) {
      String value = String.valueOf(item.get("name"));
      boolean matches =
          pattern != null
              ? pattern.matcher(value).find()
              : value.toLowerCase(Locale.ROOT).contains(lower);
      if (matches) {
        kept.add(item);
      }
    }
    return kept;
  }

  /**
   * Erlang's term order, which RabbitMQ's sorting follows: numbers, atoms, strings, maps, lists.
   */
  private enum TermOrder implements Comparator<Object> {
    INSTANCE;

    @Override
    public int compare(Object a, Object b) {
      int rankA = rank(a);
      int rankB = rank(b);
      if (rankA != rankB) {
        return Integer.compare(rankA, rankB);
      }
      if (a instanceof Number x && b instanceof Number y) {
        return Double.compare(x.doubleValue(), y.doubleValue());
      }
      if (a instanceof String || a instanceof Boolean) {
        return String.valueOf(a).compareTo(String.valueOf(b));
      }
      return 0;
    }

    private static int rank(Object value) {
      if (value instanceof Number) {
        return 0;
      }
      if (value == null || value instanceof Boolean) {
        return 1;
      }
      if (value instanceof String) {
        return 2;
      }
      return value instanceof Map<?, ?> ? 3 : 4;
    }
  }

  /** The {@code columns} selection ({@code rabbit_mgmt_util:extract_column_items}). */
  static final class Columns {
    private Columns() {}

    static Object select(Object reply, String columns, boolean paged) {
      if (columns == null) {
        return reply;
      }
      List<List<String>> wanted = new ArrayList<>();
      for (String column : columns.split(",")) {
        if (!column.isEmpty()) {
          wanted.add(Arrays.asList(column.split("\\.")));
        }
      }
      if (paged && reply instanceof Map<?, ?> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put((String) k, k.equals("items") ? extract(v, wanted) : v));
        return copy;
      }
      return extract(reply, wanted);
    }

    /** For a single object, as {@code rabbit_mgmt_util:reply} applies columns too. */
    static Object select(Object reply, String columns) {
      return select(reply, columns, false);
    }

    private static Object extract(Object value, List<List<String>> wanted) {
      if (wanted == null) {
        return value;
      }
      if (value instanceof List<?> list) {
        List<Object> out = new ArrayList<>(list.size());
        list.forEach(element -> out.add(extract(element, wanted)));
        return out;
      }
      if (!(value instanceof Map<?, ?> map)) {
        return value;
      }
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach(
          (k, v) -> {
            String key = (String) k;
            if (wanted.stream().anyMatch(column -> column.get(0).equals(key))) {
              out.put(key, extract(v, descend(key, wanted)));
            }
          });
      return out;
    }

    /** The sub-columns under {@code key}; null means all of it. */
    private static List<List<String>> descend(String key, List<List<String>> wanted) {
      List<List<String>> below = new ArrayList<>();
      for (List<String> column : wanted) {
        if (!column.get(0).equals(key)) {
          continue;
        }
        if (column.size() == 1) {
          return null;
        }
        below.add(column.subList(1, column.size()));
      }
      return below;
    }
  }
}
