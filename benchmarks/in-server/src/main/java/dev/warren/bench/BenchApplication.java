package dev.warren.bench;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The driver's endpoints live under /warren-bench/api. */
@ApplicationPath("api")
public class BenchApplication extends Application {}
