package dev.warren.it.crash;

import dev.warren.it.crash.app.KillingXAResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The crash tests' application, packaged from the test classes of {@code dev.warren.it.crash.app}.
 */
final class CrashApplication {
  private CrashApplication() {}

  /** The application with Payara's resource mappings (resources created with asadmin). */
  static WebArchive forPayara() {
    String glassfishWeb =
        """
        <!DOCTYPE glassfish-web-app PUBLIC "-//GlassFish.org//DTD GlassFish Application Server 3.1 Servlet 3.0//EN"
            "http://glassfish.org/dtds/glassfish-web-app_3_0-1.dtd">
        <glassfish-web-app>
          <context-root>/crash</context-root>
          <resource-ref>
            <res-ref-name>warren/ConnectionFactory</res-ref-name>
            <jndi-name>jca/warren/ConnectionFactory</jndi-name>
          </resource-ref>
          <resource-ref>
            <res-ref-name>jdbc/crash</res-ref-name>
            <jndi-name>jdbc/crash</jndi-name>
          </resource-ref>
        </glassfish-web-app>
        """;
    return ShrinkWrap.create(WebArchive.class, "crash.war")
        .addPackage(KillingXAResource.class.getPackage())
        .addAsWebInfResource(new StringAsset(glassfishWeb), "glassfish-web.xml");
  }

  static WebArchive forWildFly() {
    String jbossWeb =
        """
        <jboss-web>
          <context-root>/crash</context-root>
          <resource-ref>
            <res-ref-name>warren/ConnectionFactory</res-ref-name>
            <jndi-name>java:/eis/warren/ConnectionFactory</jndi-name>
          </resource-ref>
          <resource-ref>
            <res-ref-name>jdbc/crash</res-ref-name>
            <jndi-name>%s</jndi-name>
          </resource-ref>
        </jboss-web>
        """
            .formatted(WildFlyServer.DATASOURCE_JNDI);
    return ShrinkWrap.create(WebArchive.class, "crash.war")
        .addPackage(KillingXAResource.class.getPackage())
        .addAsWebInfResource(new StringAsset(jbossWeb), "jboss-web.xml")
        .setManifest(
            new StringAsset("Manifest-Version: 1.0\nDependencies: deployment.warren-rar.rar\n"));
  }
}
