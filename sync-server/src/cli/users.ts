// `user add|passwd|list`: accounts are made by an admin at the terminal, not by self sign-up.
import { ROLES, type Role } from '@in3d/shared/types';
import { generatePassword, hashPassword, MIN_PASSWORD_LENGTH } from '../auth/passwords';
import { normalizeUserId, USER_ID, USER_ID_RULE } from '../auth/user-id';
import { deleteUserSessions } from '../repositories/sessions';
import { findUser, insertUser, listUsers, setPasswordHash } from '../repositories/users';
import { CliError, type Command } from './registry';


function chosenPassword(given: string | boolean | undefined): { password: string; generated: boolean } {
  if (typeof given === 'string') {
    if (given.length < MIN_PASSWORD_LENGTH) throw new CliError(`A password needs at least ${MIN_PASSWORD_LENGTH} characters`);
    return { password: given, generated: false };
  }
  return { password: generatePassword(), generated: true };
}

export const userCommands: Command[] = [
  {
    name: 'user add',
    summary: 'Creates an account; prints a generated password unless --password is given.',
    args: ['id'],
    options: {
      role: { type: 'string', value: ROLES.join('|'), description: 'default annotator' },
      password: { type: 'string', value: 'P', description: `at least ${MIN_PASSWORD_LENGTH} characters` },
      name: { type: 'string', value: 'NAME', description: 'display name (default: the id)' },
      qualified: { type: 'boolean', description: 'mark the annotator as having passed the qualification test' },
    },
    async run({ args, options }, ctx) {
      const id = normalizeUserId(args.id!);
      if (!USER_ID.test(id)) throw new CliError(`"${id}" is not a valid user id (${USER_ID_RULE})`);
      const role = (options.role ?? 'annotator') as string;
      if (!(ROLES as readonly string[]).includes(role)) throw new CliError(`--role must be one of ${ROLES.join(', ')}, not "${role}"`);
      const { password, generated } = chosenPassword(options.password);
      const db = await ctx.db();
      if (await findUser(db, id)) throw new CliError(`User ${id} already exists (use "user passwd ${id}" to reset the password)`);
      await insertUser(db, {
        id,
        role: role as Role,
        passwordHash: await hashPassword(password),
        displayName: typeof options.name === 'string' ? options.name : undefined,
        qualified: options.qualified === true || role !== 'annotator',
      });
      ctx.out(`Created ${role} ${id}`);
      if (generated) ctx.out(`Password: ${password}`);
    },
  },
  {
    name: 'user passwd',
    summary: "Sets a user's password (prints a generated one unless --password is given) and ends their sessions.",
    args: ['id'],
    options: { password: { type: 'string', value: 'P', description: `at least ${MIN_PASSWORD_LENGTH} characters` } },
    async run({ args, options }, ctx) {
      const id = normalizeUserId(args.id!);
      const { password, generated } = chosenPassword(options.password);
      const db = await ctx.db();
      if (!(await setPasswordHash(db, id, await hashPassword(password)))) throw new CliError(`No user ${id}`);
      await deleteUserSessions(db, id);
      ctx.out(`Password of ${id} changed; their devices must log in again`);
      if (generated) ctx.out(`Password: ${password}`);
    },
  },
  {
    name: 'user list',
    summary: 'Lists the accounts.',
    async run(_input, ctx) {
      const users = await listUsers(await ctx.db());
      if (users.length === 0) ctx.out('No users yet (npm run cli -- user add <id>)');
      for (const u of users)
        ctx.out([u.id, u.role, u.qualified ? 'qualified' : 'not-qualified', u.disabled ? 'disabled' : 'active', u.display_name].join('\t'));
    },
  },
];
