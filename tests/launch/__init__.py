"""Where students run the course: the README's commands, JupyterLab in a browser, Binder, Colab."""
