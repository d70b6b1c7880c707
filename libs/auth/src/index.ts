export { hashTokenSecret, looksLikeTokenSecret, newTokenSecret } from './secrets.js';
export { administeredTenant, administers, defaultRoleFor, roleAllows, rolesGrantableBy, type Principal } from './roles.js';
