/**
 * Many stacks from folders to files (Node only): which stacks folders hold,
 * one stack from files to files, and a batch of them.
 */
export { imagesOf, listStacks, StackInputError, type ListStacksOptions, type StackFolder } from './stacks.js';
export { isBadInput, isUpToDate, resultPaths, stackToFiles, STACK_JOB_OPTION_NAMES, type StackFilesReport, type StackJobOptions, type StackTarget, type StackToFilesOptions } from './files.js';
export { runBatch, type BatchOptions, type BatchOutcome, type BatchSummary } from './run.js';
