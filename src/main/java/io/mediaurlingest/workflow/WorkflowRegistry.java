package io.mediaurlingest.workflow;

import java.util.Set;
import java.util.TreeSet;

/**
 * The post-upload workflows this service knows, by id (WorkflowId, PostProcessConfig.ProcessID).
 * A submit naming any other id is refused before a job exists.
 */
public final class WorkflowRegistry {

    private final Set<String> ids = new TreeSet<>();

    public void register(String id) {
        ids.add(id);
    }

    public boolean exists(String id) {
        return ids.contains(id);
    }

    public Set<String> ids() {
        return Set.copyOf(ids);
    }
}
