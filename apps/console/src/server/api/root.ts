import { auditsRouter } from "./routers/audits";
import { authRouter } from "./routers/auth";
import { jobsRouter } from "./routers/jobs";
import { personalAccessTokensRouter } from "./routers/personal-access-tokens";
import { rolesRouter } from "./routers/roles";
import { schedulerClustersRouter } from "./routers/scheduler-clusters";
import { schedulersRouter } from "./routers/schedulers";
import { seedPeersRouter } from "./routers/seed-peers";
import { tasksRouter } from "./routers/tasks";
import { usersRouter } from "./routers/users";
import { createTRPCRouter } from "./trpc";

/** appRouter composes one router per resource. */
export const appRouter = createTRPCRouter({
  auth: authRouter,
  users: usersRouter,
  roles: rolesRouter,
  personalAccessTokens: personalAccessTokensRouter,
  schedulerClusters: schedulerClustersRouter,
  schedulers: schedulersRouter,
  seedPeers: seedPeersRouter,
  audits: auditsRouter,
  jobs: jobsRouter,
  tasks: tasksRouter,
});

/** AppRouter is the type the console's client imports; no server code crosses with it. */
export type AppRouter = typeof appRouter;
