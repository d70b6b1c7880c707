export { PROBLEM, type ProblemDetails } from './problem-details.js';
