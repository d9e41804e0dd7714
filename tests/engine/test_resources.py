"""What a reading process asks of the system (indexer.engine.whoosh.resources)."""
import resource

from indexer.engine.whoosh import resources


def test_open_files_raised_to_what_the_index_needs_never_lowered():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (256, hard))
        resources.allow_open_files(300)
        assert resource.getrlimit(resource.RLIMIT_NOFILE)[0] == min(300, hard)
        resources.allow_open_files(100)
        assert resource.getrlimit(resource.RLIMIT_NOFILE)[0] == min(300, hard)
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_freed_arrays_kept_where_the_c_library_is_glibc():
    import platform

    kept = resources.keep_freed_arrays()
    assert kept == (platform.libc_ver()[0] == "glibc")
    assert resources.keep_freed_arrays() == kept  # once per process, the same answer
