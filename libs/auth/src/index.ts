export { hashTokenSecret, looksLikeTokenSecret, newTokenSecret } from './secrets.js';
export { defaultRoleFor, roleAllows, type Principal } from './roles.js';
