import { authRouter } from "./routers/auth";
import { schedulerClustersRouter } from "./routers/scheduler-clusters";
import { createTRPCRouter } from "./trpc";

/** appRouter composes one router per resource. */
export const appRouter = createTRPCRouter({
  auth: authRouter,
  schedulerClusters: schedulerClustersRouter,
});

/** AppRouter is the type the console's client imports; no server code crosses with it. */
export type AppRouter = typeof appRouter;
