package dev.warren.sample;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The sample's REST endpoints live under /api. */
@ApplicationPath("api")
public class SampleApplication extends Application {}
