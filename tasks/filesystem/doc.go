// Package filesystem is the File System Task: one operation on one file or
// directory, with its properties as SSIS persists them in the task's
// FileSystemData element (TaskOperationType, TaskSourcePath,
// TaskIsSourceVariable, TaskDestinationPath, TaskIsDestinationVariable,
// TaskOverwriteDestFile, TaskFileAttributes; formats 6 and 8 omit the
// defaults: CopyFile, False, Normal).
//
// A source or destination is either a file connection manager (a DTSID or a
// name; its first path is used) or a variable holding the path. Every path
// goes through tasks.RunEnv.LocalPath, which maps Windows paths to this
// machine's.
//
// The operations and what they do here:
//
//   - CopyFile, MoveFile: the destination is a folder when the destination
//     connection manager's usage is a folder, when the path names an
//     existing directory or ends with a separator; the file then keeps its
//     name in it. Otherwise the destination is the new file's path.
//   - RenameFile: the destination is the file's new path (another folder
//     allowed), never a folder to move into.
//   - DeleteFile, DeleteDirectory, DeleteDirectoryContent: the source must
//     exist and be of the right kind; a missing one fails the task, as
//     SSIS reports "File or directory ... does not exist".
//   - CreateDirectory: parents are created; an existing directory fails the
//     task unless UseDirectoryIfExists. SSIS persists no attribute of its own
//     for UseDirectoryIfExists: it is the task's OverwriteDestinationFile
//     (TaskOverwriteDestFile), and this package reads it so.
//   - CopyDirectory: the content of the source goes into the destination
//     directory, which is created when missing; subdirectories are copied
//     recursively.
//   - MoveDirectory: a missing destination becomes the moved directory; an
//     existing one receives it as a subdirectory of the same name.
//   - SetAttributes: ReadOnly maps to the write permission bits of a file
//     (cleared when set, the owner's restored when not). Hidden, Archive and
//     System have no Linux equivalent and are ignored with a warning;
//     directories keep their permissions, since a read-only folder on
//     Windows still accepts new files.
//
// OverwriteDestination (TaskOverwriteDestFile) is honoured as SSIS does: an
// existing destination file fails the task unless it is True. Conflicts of
// a directory copy are found before anything is copied. Copies keep the
// file mode and modification time and are written through a temporary file
// renamed into place; moves fall back to copy-and-delete across file
// systems. Wildcards are not expanded, as in SSIS: a Foreach Loop drives the
// task file by file.
package filesystem
