package org.lipflow.util;

/**
 * A low-priority daemon thread that runs first-use work (JIT compilation, class and native
 * library loading) while a run starts, on a core the flow leaves idle. Off with
 * {@code -D<property>=false}, so the cost it hides can be measured.
 */
public final class WarmUpThread {
    private WarmUpThread() {
    }

    /** Starts {@code work} on a thread named {@code name}; returns it, or null when {@code property} is "false". */
    public static Thread start(String name, String property, Runnable work) {
        if (System.getProperty(property, "true").equals("false")) {
            return null;
        }
        Thread t = new Thread(work, name);
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
        return t;
    }
}
