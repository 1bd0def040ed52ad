package dev.warren.broker.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeadersRouterTest {

  private static boolean matches(Map<String, Object> arguments, Map<String, Object> headers) {
    return HeadersPattern.compile(arguments).matches(headers);
  }

  private static Map<String, Object> map(Object... keyValues) {
    Map<String, Object> map = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      map.put((String) keyValues[i], keyValues[i + 1]);
    }
    return map;
  }

  @Test
  void allRequiresEveryArgumentAndIsTheDefault() {
    assertTrue(matches(map("a", 1, "b", "x"), map("a", 1, "b", "x", "c", true)));
    assertFalse(matches(map("a", 1, "b", "x"), map("a", 1)));
    assertFalse(matches(map("x-match", "all", "a", 1, "b", "x"), map("a", 1, "b", "y")));
  }

  @Test
  void anyRequiresOneArgument() {
    assertTrue(matches(map("x-match", "any", "a", 1, "b", "x"), map("b", "x")));
    assertFalse(matches(map("x-match", "any", "a", 1, "b", "x"), map("b", "y")));
  }

  @Test
  void emptyPatternMatchesEverythingForAllAndNothingForAny() {
    assertTrue(matches(map(), map()));
    assertFalse(matches(map("x-match", "any"), map("a", 1)));
  }

  @Test
  void xPrefixedArgumentsAreIgnoredUnlessWithX() {
    assertTrue(matches(map("x-match", "all", "x-foo", "bar"), map()));
    assertFalse(matches(map("x-match", "all-with-x", "x-foo", "bar"), map()));
    assertTrue(matches(map("x-match", "all-with-x", "x-foo", "bar"), map("x-foo", "bar")));
    assertFalse(matches(map("x-match", "any", "x-foo", "bar"), map("x-foo", "bar")));
    assertTrue(matches(map("x-match", "any-with-x", "x-foo", "bar"), map("x-foo", "bar")));
  }

  @Test
  void comparisonIsTypeSensitiveButIntegerWidthsAreOneClass() {
    assertFalse(matches(map("a", 1), map("a", "1")));
    assertFalse(matches(map("a", true), map("a", "true")));
    assertTrue(matches(map("a", 1), map("a", 1L)));
    assertTrue(matches(map("a", (short) 7), map("a", (byte) 7)));
    assertFalse(matches(map("a", 1), map("a", 1.0d)));
    assertTrue(matches(map("a", 1.5f), map("a", 1.5d)));
    assertTrue(matches(map("a", new byte[] {1, 2}), map("a", new byte[] {1, 2})));
  }

  @Test
  void voidArgumentMatchesPresenceOnly() {
    assertTrue(matches(map("a", null), map("a", "anything")));
    assertFalse(matches(map("a", null), map("b", "anything")));
  }

  @Test
  void invalidXMatchIsRejectedAtBindTime() {
    HeadersRouter<String> router = new HeadersRouter<>();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> router.bind(new Binding<>("", map("x-match", "some"), "q")));
    assertTrue(e.getMessage().startsWith("Invalid x-match field value"), e.getMessage());
    assertTrue(router.isEmpty());
  }

  @Test
  void routerIgnoresRoutingKeyAndToleratesMissingHeaders() {
    HeadersRouter<String> router = new HeadersRouter<>();
    router.bind(new Binding<>("ignored", map("x-match", "any", "k", "v"), "q1"));
    router.bind(new Binding<>("", map(), "q2"));
    List<String> hits = new ArrayList<>();
    router.route("whatever", Map.of("k", "v"), hits::add);
    assertEquals(List.of("q1", "q2"), hits);
    hits.clear();
    router.route("whatever", null, hits::add);
    assertEquals(List.of("q2"), hits);
  }
}
