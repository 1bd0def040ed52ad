package dev.warren.broker.management;

import dev.warren.broker.engine.api.BrokerAdmin;
import dev.warren.broker.http.HttpRequest;
import dev.warren.broker.http.HttpResponse;
import dev.warren.broker.http.HttpService;
import dev.warren.broker.http.Router;
import dev.warren.broker.http.StaticFiles;
import dev.warren.broker.management.controller.BindingsController;
import dev.warren.broker.management.controller.ChannelsController;
import dev.warren.broker.management.controller.ConnectionsController;
import dev.warren.broker.management.controller.DefinitionsController;
import dev.warren.broker.management.controller.ExchangesController;
import dev.warren.broker.management.controller.HealthController;
import dev.warren.broker.management.controller.NodesController;
import dev.warren.broker.management.controller.OverviewController;
import dev.warren.broker.management.controller.ParametersController;
import dev.warren.broker.management.controller.PermissionsController;
import dev.warren.broker.management.controller.PoliciesController;
import dev.warren.broker.management.controller.QueuesController;
import dev.warren.broker.management.controller.UsersController;
import dev.warren.broker.management.controller.VhostsController;
import java.util.List;

/**
 * RabbitMQ's management HTTP API over a broker: the routes of every controller under {@code /api},
 * and the web UI's files (class-path directory {@value #UI_DIRECTORY}) at every other path. It
 * knows nothing of Netty: any front door that turns requests into {@link HttpRequest}s can serve
 * it.
 */
public final class ManagementService implements HttpService {
  /** Where the web UI's files are on the class path. */
  public static final String UI_DIRECTORY = "warren-ui";

  private final Router router;

  public ManagementService(BrokerAdmin broker) {
    HttpService notFound = request -> ApiRoutes.error(ApiException.objectNotFound());
    HttpService files =
        new StaticFiles(UI_DIRECTORY, ManagementService.class.getClassLoader(), notFound);
    HttpService outsideApi =
        request -> isApi(request) ? notFound.handle(request) : files.handle(request);
    router = new Router(outsideApi);
    ApiRoutes routes = new ApiRoutes(broker, router, new Authorisation(broker));
    ChannelsController channels = new ChannelsController(broker);
    List<Controller> controllers =
        List.of(
            new OverviewController(broker),
            new NodesController(broker),
            new ConnectionsController(broker, channels),
            channels,
            new ExchangesController(broker),
            new QueuesController(broker, channels),
            new BindingsController(broker),
            new VhostsController(broker),
            new UsersController(broker),
            new PermissionsController(broker),
            new PoliciesController(broker),
            new ParametersController(broker),
            new DefinitionsController(broker),
            new HealthController(broker));
    controllers.forEach(controller -> controller.register(routes));
  }

  private static boolean isApi(HttpRequest request) {
    return !request.segments().isEmpty() && request.segments().get(0).equals("api");
  }

  @Override
  public HttpResponse handle(HttpRequest request) {
    return router.handle(request);
  }
}
