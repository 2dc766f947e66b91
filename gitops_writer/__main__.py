from gitops_writer.cli import run

run()
