import { and, eq } from "drizzle-orm";

import type { Database } from "./client";
import {
  defaultClientConfig,
  defaultSchedulerConfig,
  ScopesSchema,
  SeedPeerClusterConfigSchema,
} from "@df/cluster-config";
import { BUILT_IN_ROLES, RESOURCES } from "./rbac";
import {
  configRevisions,
  personalAccessTokens,
  rolePermissions,
  roles,
  schedulerClusters,
  seedPeerClusters,
  seedPeerClusterSchedulerClusters,
  userRoles,
  users,
} from "./schema";
import { generatePassword, hashPassword, hashToken } from "./secrets";

/** SeedOptions come from the environment at first start. */
export interface SeedOptions {
  /** initialRootPassword is DRAGONFLY_INITIAL_ROOT_PASSWORD; generated when absent. */
  initialRootPassword?: string | undefined;
  /** personalAccessToken is DRAGONFLY_PAT; created for root with scopes job and cluster. */
  personalAccessToken?: string | undefined;
}

/** SeedResult tells what the seed created; `generatedRootPassword` must be shown exactly once. */
export interface SeedResult {
  createdRoot: boolean;
  generatedRootPassword?: string;
  createdToken: boolean;
}

/** DEFAULT_CLUSTER_NAME names the default scheduler and seed peer clusters. */
export const DEFAULT_CLUSTER_NAME = "cluster-1";

/** ROOT_PASSWORD_RULE is the accepted length of an initial root password. */
export const ROOT_PASSWORD_RULE = { min: 8, max: 64 };

/**
 * seed creates, when missing, the built-in roles, the default cluster pair and the root user.
 * Running it again changes nothing and never resets a password.
 */
export async function seed(db: Database, opts: SeedOptions = {}): Promise<SeedResult> {
  const given = opts.initialRootPassword;
  if (
    given !== undefined &&
    (given.length < ROOT_PASSWORD_RULE.min || given.length > ROOT_PASSWORD_RULE.max)
  ) {
    throw new Error(
      `DRAGONFLY_INITIAL_ROOT_PASSWORD must be ${ROOT_PASSWORD_RULE.min}-${ROOT_PASSWORD_RULE.max} characters`,
    );
  }
  return db.transaction(async (tx) => {
    const roleIds = new Map<string, number>();
    for (const [name, spec] of Object.entries(BUILT_IN_ROLES)) {
      await tx
        .insert(roles)
        .values({ name, description: spec.description, builtIn: true })
        .onConflictDoNothing();
      const [role] = await tx.select().from(roles).where(eq(roles.name, name));
      if (!role) throw new Error(`seed: role ${name} missing after insert`);
      roleIds.set(name, role.id);
      for (const resource of RESOURCES) {
        await tx
          .insert(rolePermissions)
          .values({ roleId: role.id, resource, action: spec.action })
          .onConflictDoNothing();
      }
    }

    const [existingDefault] = await tx
      .select()
      .from(schedulerClusters)
      .where(eq(schedulerClusters.isDefault, true));
    if (!existingDefault) {
      const config = defaultSchedulerConfig();
      const clientConfig = defaultClientConfig();
      const [cluster] = await tx
        .insert(schedulerClusters)
        .values({
          name: DEFAULT_CLUSTER_NAME,
          bio: "default scheduler cluster",
          config,
          clientConfig,
          scopes: ScopesSchema.parse({}),
          isDefault: true,
          configRevision: 1,
        })
        .onConflictDoNothing()
        .returning();
      if (cluster) {
        await tx
          .insert(configRevisions)
          .values({ schedulerClusterId: cluster.id, revision: 1, config, clientConfig });
        const [seedCluster] = await tx
          .insert(seedPeerClusters)
          .values({
            name: DEFAULT_CLUSTER_NAME,
            bio: "default seed peer cluster",
            config: SeedPeerClusterConfigSchema.parse({}),
          })
          .onConflictDoNothing()
          .returning();
        if (seedCluster) {
          await tx
            .insert(seedPeerClusterSchedulerClusters)
            .values({ seedPeerClusterId: seedCluster.id, schedulerClusterId: cluster.id })
            .onConflictDoNothing();
        }
      }
    }

    const result: SeedResult = { createdRoot: false, createdToken: false };
    let [root] = await tx.select().from(users).where(eq(users.name, "root"));
    if (!root) {
      const password = given ?? generatePassword();
      [root] = await tx
        .insert(users)
        .values({
          name: "root",
          email: "root@localhost",
          encryptedPassword: await hashPassword(password),
        })
        .returning();
      result.createdRoot = true;
      if (given === undefined) result.generatedRootPassword = password;
    }
    if (!root) throw new Error("seed: root user missing after insert");
    const rootRoleId = roleIds.get("root");
    if (rootRoleId === undefined) throw new Error("seed: root role missing");
    const [hasRole] = await tx
      .select()
      .from(userRoles)
      .where(and(eq(userRoles.userId, root.id), eq(userRoles.roleId, rootRoleId)));
    if (!hasRole) await tx.insert(userRoles).values({ userId: root.id, roleId: rootRoleId });

    if (opts.personalAccessToken) {
      const tokenHash = hashToken(opts.personalAccessToken);
      const inserted = await tx
        .insert(personalAccessTokens)
        .values({
          name: "default",
          bio: "created from DRAGONFLY_PAT at first start",
          tokenHash,
          tokenPrefix: opts.personalAccessToken.slice(0, 8),
          scopes: ["job", "cluster"],
          expiredAt: new Date(Date.now() + 10 * 365 * 86_400_000),
          userId: root.id,
        })
        .onConflictDoNothing()
        .returning();
      result.createdToken = inserted.length > 0;
    }
    return result;
  });
}
