package dev.warren.broker.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopicRouterTest {

  private static boolean matches(String bindingKey, String routingKey) {
    TopicRouter<String> router = new TopicRouter<>();
    router.bind(new Binding<>(bindingKey, null, "q"));
    List<String> hits = new ArrayList<>();
    router.route(routingKey, null, hits::add);
    return !hits.isEmpty();
  }

  @ParameterizedTest(name = "binding ''{0}'' vs routing key ''{1}'' → {2}")
  @CsvSource(
      delimiter = '|',
      emptyValue = "",
      value = {
        "a.b.c    | a.b.c    | true",
        "a.b.c    | a.b      | false",
        "a.*.c    | a.b.c    | true",
        "a.*.c    | a.c      | false",
        "a.*.c    | a.b.b.c  | false",
        "*        | a        | true",
        "*        | ''       | false",
        "*        | a.b      | false",
        "*        | .        | false",
        "*.*      | .        | true",
        "#        | ''       | true",
        "#        | a.b.c    | true",
        "#        | .        | true",
        "#.a      | a        | true",
        "#.a      | x.y.a    | true",
        "#.a      | a.x      | false",
        "a.#      | a        | true",
        "a.#      | a.b.c    | true",
        "a.#      | b.a      | false",
        "a.#.b    | a.b      | true",
        "a.#.b    | a.x.y.b  | true",
        "a.#.b    | a.x.y    | false",
        "#.#      | ''       | true",
        "#.#      | a.b      | true",
        "*.#      | ''       | false",
        "*.#      | a        | true",
        "#.*      | a.b.c    | true",
        "#.*      | ''       | false",
        "a.#.#.b  | a.b      | true",
        "a..b     | a..b     | true",
        "a..b     | a.b      | false",
        "a.*.b    | a..b     | true",
        "''       | ''       | true",
        "''       | a        | false",
        "a.       | a.       | true",
        "a.       | a        | false",
        "a.*      | a.       | true",
        "*.b.#    | a.b      | true",
        "*.b.#    | b        | false",
      })
  void topicMatchingFollowsRabbitMqSemantics(String bindingKey, String routingKey, boolean match) {
    assertEquals(match, matches(bindingKey, routingKey));
  }

  @Test
  void splittingKeepsEmptyWordsAndTheEmptyKeyHasNone() {
    assertEquals(0, TopicRouter.words("").length);
    assertEquals(List.of("a", ""), List.of(TopicRouter.words("a.")));
    assertEquals(List.of("", "", ""), List.of(TopicRouter.words("..")));
  }

  @Test
  void unbindRemovesOnlyThatBindingAndPrunesTheTrie() {
    TopicRouter<String> router = new TopicRouter<>();
    router.bind(new Binding<>("a.*", null, "q1"));
    router.bind(new Binding<>("a.#", null, "q2"));
    assertTrue(router.unbind(new Binding<>("a.*", null, "q1")));
    assertFalse(router.unbind(new Binding<>("a.*", null, "q1")));
    List<String> hits = new ArrayList<>();
    router.route("a.b", null, hits::add);
    assertEquals(List.of("q2"), hits);
    assertTrue(router.unbind(new Binding<>("a.#", null, "q2")));
    assertTrue(router.isEmpty());
  }

  @Test
  void rebindingIsIdempotentButArgumentsAreIdentity() {
    TopicRouter<String> router = new TopicRouter<>();
    assertTrue(router.bind(new Binding<>("a.b", null, "q")));
    assertFalse(router.bind(new Binding<>("a.b", null, "q")));
    assertTrue(router.bind(new Binding<>("a.b", java.util.Map.of("k", 1), "q")));
    assertEquals(2, router.bindings().size());
  }
}
