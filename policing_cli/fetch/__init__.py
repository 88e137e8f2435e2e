"""``policing fetch``: the public files, downloaded into the data folder the reports read.

``http`` is the one way out to the network (one request at a time, retries with back-off,
one-line errors); ``download`` fetches one address into one file (conditionally, resumed
or restarted, never half-written where a whole file is expected); ``manifest`` records what
was fetched, and tells the files this tool wrote from the user's own; ``london`` finds the
London Datastore's files from the dataset's metadata; ``remote_zip`` reads a zip archive's
directory and members over HTTP ranges; ``police_uk`` fetches data.police.uk's monthly
archive, whole or only some forces' files; ``folder`` is where all this goes, and what the
reports say about it.
"""
