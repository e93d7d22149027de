lambda_functions = {
  api-handler = {
    function_name = "api-handler"
    runtime      = "python3.11"
    handler      = "lambda_function.lambda_handler"
    filename     = "api-handler.zip"
    
    memory_size = 256
    timeout     = 30
    
    environment_variables = {
      ENVIRONMENT = var.environment
      LOG_LEVEL  = var.lambda_log_level
    }
    
    vpc_config = {
      subnet_ids         = data.terraform_remote_state.networking.outputs.private_subnet_ids
      security_group_ids = [data.terraform_remote_state.networking.outputs.security_group_ids["lambda"]]
    }
  }
}
