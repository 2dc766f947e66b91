"""`gitops-writer generate`: the Backstage template and the dispatch workflow of a kind, from the kind itself."""

from gitops_writer.generate.template import render_template, template_data
from gitops_writer.generate.workflow import render_workflow, workflow_data

__all__ = ["render_template", "render_workflow", "template_data", "workflow_data"]
