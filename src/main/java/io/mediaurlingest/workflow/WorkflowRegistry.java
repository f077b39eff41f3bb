package io.mediaurlingest.workflow;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;

/**
 * The post-upload workflows this service knows, by id (WorkflowId, PostProcessConfig.ProcessID):
 * every route that consumes direct:workflow-{id}, wherever it was loaded from. A submit naming
 * any other id is refused before a job exists.
 */
public final class WorkflowRegistry {

    private static final Pattern WORKFLOW_ENDPOINT = Pattern.compile("direct://workflow-(.+)");

    private final CamelContext context;

    public WorkflowRegistry(CamelContext context) {
        this.context = context;
    }

    public boolean exists(String id) {
        return ids().contains(id);
    }

    public Set<String> ids() {
        Set<String> ids = new TreeSet<>();
        for (Route route : context.getRoutes()) {
            Matcher m = WORKFLOW_ENDPOINT.matcher(route.getEndpoint().getEndpointUri());
            if (m.matches()) {
                ids.add(m.group(1));
            }
        }
        return ids;
    }
}
